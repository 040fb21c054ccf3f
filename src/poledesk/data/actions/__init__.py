"""The programme d'actions: the pole's yearly actions on three axes, and their end-of-year bilan."""
