"""REST API v1 for help requests (staff) and tasks (volunteers)."""
