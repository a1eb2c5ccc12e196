//! Excel and Word files for xuncha, as pure transforms over bytes and core
//! types: no HTTP, no database, no file system (except the temporary files a
//! very large spreadsheet export may spill to).
//!
//! * [`read_table`] reads an uploaded `.xlsx`/`.xls`/`.xlsb`/`.ods` or
//!   `.csv`/`.tsv`/`.txt` file into a [`RawTable`] of text cells, ready for
//!   `xuncha_core::import::map_headers`.
//! * [`write_xlsx`] writes ledger-style (台账) workbooks from [`Sheet`]s.
//! * [`docx::write_docx`] writes official documents (公文) laid out after
//!   GB/T 9704-2012.
//!
//! * [`photo::clean`] strips metadata from photos; [`qr::svg`] draws QR codes.
//! * [`campaigns`] writes the field campaigns' workbooks and reports.
//!
//! Every error a user can cause carries a Simplified Chinese message that
//! says what to do about it.

pub mod campaigns;
mod cellfmt;
mod delimited;
pub mod docx;
mod error;
pub mod ledgers;
pub mod petitions;
pub mod photo;
pub mod qr;
mod read;
pub mod rounds;
pub mod surveys;
mod table;
mod width;
mod xlsx;

pub use error::{ReadError, WriteError};
pub use read::read_table;
pub use xlsx::{write_xlsx, Cell, Sheet};
pub use xuncha_core::import::{RawRow, RawTable};
