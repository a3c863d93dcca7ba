"""Reading workbooks: the Excel reader, cell and name harmonisation, the column contract, problems and validation, run in a child process."""
