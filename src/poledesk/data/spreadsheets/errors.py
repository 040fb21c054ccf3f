"""The error of the spreadsheet import and export: a French message for the user, raised at any step."""


class SpreadsheetError(Exception):
    """A file that cannot be read or imported as asked; the message is French and meant for the user."""
