//! Spreadsheet import (CSV, XLSX, XLS, ODS) and export
