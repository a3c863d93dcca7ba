"""The ground floor: the data model, settings, units, number formats, text safety and the one safe Excel writer; imports nothing else of analysis."""
