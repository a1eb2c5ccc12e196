//! Errors of reading and writing office files.
//!
//! Display messages are shown to users as they are, so they are in
//! Simplified Chinese and end by saying what to do.

/// Why an uploaded file could not be read into a table.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The file has no bytes at all, or no non-blank row.
    #[error("文件中没有数据，请检查是否选错了文件或工作表")]
    Empty,
    /// Neither the content nor the extension names a format we read.
    #[error("无法识别的文件格式，请上传 .xlsx、.xls 或 .csv 文件")]
    UnknownFormat,
    /// The content looks like a spreadsheet but the reader failed on it.
    #[error(
        "文件已损坏或不是有效的 Excel 文件：{reason}。请用 Excel 或 WPS 打开后另存为 .xlsx 再上传"
    )]
    Corrupt {
        /// What is wrong, for the user.
        reason: &'static str,
        /// The reader's own message (English), for logs; not shown.
        detail: String,
    },
    /// Another kind of office file, such as a Word document (the argument
    /// says which).
    #[error("该文件是{0}，不是电子表格，请上传 .xlsx、.xls 或 .csv 文件")]
    NotSpreadsheet(&'static str),
    /// The workbook is encrypted with a password.
    #[error("文件设有打开密码，无法读取，请取消密码保护后再上传")]
    Encrypted,
    /// A file named like a spreadsheet that is really something else, e.g.
    /// a web page saved as `.xls` (the argument says what it is).
    #[error("该文件实际是{0}，不是真正的 Excel 文件，请用 Excel 或 WPS 打开后另存为 .xlsx 再上传")]
    Disguised(&'static str),
    /// A text file in an encoding that is neither UTF-8 nor GB18030/GBK.
    #[error("无法识别文件的文字编码，请另存为 UTF-8 编码的 CSV 文件或 .xlsx 文件后再上传")]
    Encoding,
    /// A CSV record could not be parsed.
    #[error("第{line}行：{message}，请检查该行的引号和分隔符")]
    Csv {
        /// The line of the file (1-based) where the bad record starts.
        line: usize,
        /// What went wrong.
        message: String,
    },
}

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// A sheet has more rows than Excel allows (1,048,576 including the
    /// header and title rows).
    #[error("工作表“{sheet}”有 {rows} 行数据，超过 Excel 单表上限（1048576 行），请缩小导出范围或分批导出")]
    TooManyRows {
        /// The sheet's name.
        sheet: String,
        /// Its number of data rows.
        rows: usize,
    },
    /// A sheet has more columns than Excel allows (16,384).
    #[error("工作表“{sheet}”有 {columns} 列，超过 Excel 上限（16384 列），请减少导出的列")]
    TooManyColumns {
        /// The sheet's name.
        sheet: String,
        /// Its number of columns.
        columns: usize,
    },
    /// The spreadsheet library failed (an internal error).
    #[error("生成 Excel 文件失败：{0}")]
    Xlsx(String),
    /// Building the Word package failed (an internal error).
    #[error("生成 Word 文件失败：{0}")]
    Docx(String),
}

impl From<rust_xlsxwriter::XlsxError> for WriteError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        WriteError::Xlsx(e.to_string())
    }
}
