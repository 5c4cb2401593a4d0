"""The members' portal: a small Django site beside the static book (``councilbook portal``).

Members and alternates log in with a link sent by e-mail and find each meeting's pack (every version), its
workbook, attachments and agenda, object to draft minutes and subscribe to a calendar feed; the secretariat
works in Django's admin (password and TOTP), sees who has opened which pack and moderates the public's
questions ("Spørg rådet"). What the book and the minutes need of it, the portal writes to its record
(:mod:`councilbook.parameters.records`).

Modules, one job each: ``settings`` (from the environment), ``models``, ``access`` (login links, who may see
what), ``documents`` (storing and serving files), ``notices`` (e-mails), ``record`` (the export the book
reads), ``views_members``, ``views_public``, ``feeds`` (calendar), ``admin``, ``service`` (what the
``councilbook portal`` commands and ``councilbook pack --send`` call).
"""
