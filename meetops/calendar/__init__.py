"""Calendar files (iCalendar): the public meeting file and each participant's invite."""
