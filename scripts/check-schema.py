#!/usr/bin/env python3
"""Validates job files against Docs/job-file.schema.json (a second opinion beside the Swift loader).

Usage: scripts/check-schema.py [FILE.yaml ...]   (default: jobs/*.yaml and jobs/*.yml)
Needs the Python packages jsonschema and PyYAML. Exits 1 if any file does not validate.
"""
import glob
import json
import os
import sys

import jsonschema
import yaml

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
with open(os.path.join(root, "Docs", "job-file.schema.json")) as f:
    schema = json.load(f)
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)

files = sys.argv[1:] or sorted(glob.glob(os.path.join(root, "jobs", "*.yaml")) + glob.glob(os.path.join(root, "jobs", "*.yml")))
failed = False
for path in files:
    with open(path) as f:
        document = yaml.safe_load(f)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    for error in errors:
        where = ".".join(str(p) for p in error.absolute_path) or "(top)"
        print(f"{os.path.relpath(path)}: {where}: {error.message}")
    failed = failed or bool(errors)
    if not errors:
        print(f"{os.path.relpath(path)}: ok")
sys.exit(1 if failed else 0)
