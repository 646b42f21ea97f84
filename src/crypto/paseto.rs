//! PASETO v4.public (placeholder until the token module lands).
