"""iCalendar feeds of a solved roster: one per person, per post and for the whole roster."""
