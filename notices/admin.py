"""Notices have no admin page, as they had none in agenda: each is the record of an e-mail
sent, read by its addressee on the notices page, and nobody else's to edit."""
