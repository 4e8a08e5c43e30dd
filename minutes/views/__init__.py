"""Pages of the record: minutes (``record``) and communiqués (``communiques``)."""
