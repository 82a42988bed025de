"""Calendar providers (Google, local) and the slot finder."""
