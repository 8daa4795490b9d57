#!/usr/bin/env python3
"""Validates job files against Docs/job-file.schema.json and settings files against
Docs/settings.schema.json (a second opinion beside the Swift loader).

Usage: scripts/check-schema.py [FILE.yaml ...]
  (default: jobs/*.yaml, jobs/*.yml and Docs/gnomon.example.yaml)
A file named gnomon.yaml or gnomon.*.yaml is a settings file; any other is a job file.
Needs the Python packages jsonschema and PyYAML. Exits 1 if any file does not validate.
"""
import glob
import json
import os
import re
import sys

import jsonschema
import yaml

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Loader(yaml.SafeLoader):
    """YAML as Gnomon reads it: only true and false are booleans (PyYAML's YAML 1.1 would read the
    key on: of a rule, and yes, no and off, as booleans)."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def validator(name):
    with open(os.path.join(root, "Docs", name)) as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


jobs = validator("job-file.schema.json")
settings = validator("settings.schema.json")

files = sys.argv[1:] or (
    sorted(glob.glob(os.path.join(root, "jobs", "*.yaml")) + glob.glob(os.path.join(root, "jobs", "*.yml")))
    + [os.path.join(root, "Docs", "gnomon.example.yaml")])
failed = False
for path in files:
    with open(path) as f:
        document = yaml.load(f, Loader=Loader)
    is_settings = re.fullmatch(r"gnomon(\..+)?\.yaml", os.path.basename(path)) is not None
    if is_settings and document is None:
        document = {}  # an empty settings file means empty settings
    errors = sorted((settings if is_settings else jobs).iter_errors(document), key=lambda e: list(e.absolute_path))
    for error in errors:
        where = ".".join(str(p) for p in error.absolute_path) or "(top)"
        print(f"{os.path.relpath(path)}: {where}: {error.message}")
    failed = failed or bool(errors)
    if not errors:
        print(f"{os.path.relpath(path)}: ok")
sys.exit(1 if failed else 0)
