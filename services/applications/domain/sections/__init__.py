"""The sections of the points application form, each with its data and a pure validator.

Validators take the section and the date the form is checked on (the application date) and return a
list of ``FieldError`` values; an empty list means valid. They never raise for invalid input.
"""
