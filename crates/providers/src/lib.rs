//! HTTP clients for CinetPay, My-CoolPay and SOFTSYSTEM through one executor
