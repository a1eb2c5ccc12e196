//! Use cases: each checks the policy, validates, and calls the store.
