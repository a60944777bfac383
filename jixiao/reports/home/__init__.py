"""The home page (工作台): what waits on the reader now (``todos``), their own latest result and
pay and the week's deadlines (``mine``)."""
