"""The forms of the window, one per file: each calls one service inside a transaction and explains refusals in place."""
