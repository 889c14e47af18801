"""The data map as a spreadsheet: columns, reading XLSX/CSV files, writing them back."""
