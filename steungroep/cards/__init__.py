"""The pupils' action cards: the card behind the QR code, and the Kaarten screens after the
meeting."""
