//! OS keyring access and a secret type that never prints or serialises
