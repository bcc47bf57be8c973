"""Scenario files: the schema, the loader with precise errors, and summaries."""

from anabasis.scenario.loader import content_hash, load_scenario
from anabasis.scenario.models import Scenario
from anabasis.scenario.problems import Problem, ScenarioError

__all__ = ["Problem", "Scenario", "ScenarioError", "content_hash", "load_scenario"]
