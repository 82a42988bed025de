"""The admins' erasure of a candidate from the App Home tab."""
