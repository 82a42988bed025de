"""The daily digest's data access: its queries and its deliveries."""
