"""The shipped retention rulesets (YAML) and their texts for translation (texts.py, generated)."""
