"""Use cases of the forum. Services add and flush; the caller commits once."""
