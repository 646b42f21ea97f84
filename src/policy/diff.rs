//! Policy diff (being written).
