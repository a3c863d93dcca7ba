"""Files a user downloads: tables (CSV/Excel), the follow-up report, the template workbook, PowerPoint, Word and HTML."""
