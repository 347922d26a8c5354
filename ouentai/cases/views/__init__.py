"""Pages of the case library: ``console`` for staff and coordinators, ``my`` for member companies."""
