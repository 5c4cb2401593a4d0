"""What the council's members and secretariat get: packs, workbooks, minutes, the calendar, scaffolding."""
