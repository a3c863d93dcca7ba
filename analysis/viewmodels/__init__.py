"""What each page shows, as plain data: the status picture, the explorer, the follow-up, the slides and the method text."""
