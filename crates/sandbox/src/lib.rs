//! A faithful, stateful simulator of the CinetPay, My-CoolPay and SOFTSYSTEM APIs
