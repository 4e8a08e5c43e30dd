"""API of the members app: parties, seats, rotation and delegations.

Reads are open to every authenticated user (delegation member lists are
narrowed by the selector); writes are the secretariat's (the default
``AccessPolicy``) and call the services, whose refusals answer 400.
"""
