"""The staff pages of the base apps (accounts, organizations, people, audit, exports).

They use the web layer's view gate and list page, which sit above the base apps, so the pages sit above
the web layer here, one package per app; URL namespaces and templates are the apps' own (ADR 0007).
"""
