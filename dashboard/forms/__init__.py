"""The app's forms: shared pieces in ``common``, one module per entity or area with its FlaskForm
classes, validators and the copy from a form to its record."""
