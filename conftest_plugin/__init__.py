"""fakecheckout's pytest plugin (entry point ``pytest11``: ``fakecheckout = conftest_plugin.plugin``).

It gives the fixture ``fake_checkout`` and the marker ``@pytest.mark.fake_checkout(**kwargs)``;
see ``conftest_plugin.plugin``.
"""

from __future__ import annotations
