"""The demo workspace ("City of Los Angeles", illustrative) and a synthetic workspace generator.

``build_demo(engine)`` loads ``data/los_angeles.yaml`` into the workspace ``los-angeles``;
``citydiplomacy.demo.synthetic.generate_workspace`` builds a large synthetic workspace for
benchmarks. See docs/demo.md.
"""

from .build import DEMO_FILE, BuildReport, DemoContent, build_demo, load_demo

__all__ = ["DEMO_FILE", "BuildReport", "DemoContent", "build_demo", "load_demo"]
