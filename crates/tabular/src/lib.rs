//! Spreadsheet import (CSV, XLSX, XLS, ODS) and export

pub mod export;
pub mod statement;
