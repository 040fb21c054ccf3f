"""Planning: the periods establishments plan, the school calendar, and the bassin's demand against capacity."""
