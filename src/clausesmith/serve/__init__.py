"""`clausesmith serve`: a local web form for drafting a deal, with live checks and a preview.

Installed with the `serve` extra (`pip install 'clausesmith[serve]'`): Starlette and uvicorn
for the server, ruamel.yaml to save the deal keeping its comments, markdown-it-py for the
preview. The form and its JSON API call the same public functions as the CLI.
"""
