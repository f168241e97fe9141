lock
