"""Receipts: documents -> ESC/POS bytes (:mod:`.escpos`, imports python-escpos on use) and
an ESC/POS decoder for emulators and tests (:mod:`.decode`).

The slip layouts themselves are pure and live in :mod:`xpos.core.slips`. Importing this
package imports nothing heavy.
"""
