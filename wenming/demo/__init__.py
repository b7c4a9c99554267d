"""Liaoning demo data (``manage.py seed_demo``): the core tree, people, governing bodies, accounts.

``builder.seed_core`` builds the organisation tree, outlets, couriers, the 三(一) bodies and the demo accounts
and returns a :class:`DemoContext`. ``run_module_hooks`` then calls ``seed(ctx)`` of every
``wenming.demo.modules.<app label>`` module that exists, so later modules add their own demo rows.
"""
