"""The error of the spreadsheet import and export: a French message for the user, raised at any step."""

from poledesk.data.errors import SpreadsheetError as SpreadsheetError

__all__ = ["SpreadsheetError"]
