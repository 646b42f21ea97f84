//! Policy test suites (being written).
