"""A game as the window plays it: who commands each faction, this turn's orders, and the record of turns.

No pygame here: everything a screen asks about the game, and every order it gives, goes through a Session,
which speaks to the engine only through its public API with the same order values the AI issues.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from anabasis.ai.agent import Agent
from anabasis.ai.registry import AGENTS, make_agent
from anabasis.engine import (
    Answer,
    GameState,
    Hold,
    Order,
    Report,
    Result,
    UnitOrder,
    World,
    compile_world,
    legal_orders,
    result,
)
from anabasis.engine.game import Game
from anabasis.engine.legal import why_illegal
from anabasis.engine.save import SaveError, read_save, restore_game, save_data, write_save
from anabasis.engine.state import ACTIVE
from anabasis.engine.world import FloatArray, IntArray
from anabasis.paths import bundled_scenarios
from anabasis.replay import Replay
from anabasis.scenario import Scenario, ScenarioError, content_hash, load_scenario

HUMAN = "human"
AUTOSAVE_PREFIX = "autosave-"
AUTOSAVES_KEPT = 5  # of each game
GAME_ID = re.compile(r"[0-9a-f]{8,32}")  # a game's id as its saves record it: safe in a file name


def ai_kind() -> str:
    """The strongest commander the registry offers: the doctrine AI when it is there."""
    return "ai" if "ai" in AGENTS else "random"


def _key(order: Order) -> str:
    """Orders replace each other per unit, and answers per decision."""
    if isinstance(order, UnitOrder):
        return order.unit
    if isinstance(order, Answer):
        return f"answer:{order.event}"
    return str(order)


@dataclass
class Plan:
    """One faction's orders for the coming turn: at most one per unit and per decision, with undo."""

    orders: dict[str, Order] = field(default_factory=dict)
    history: list[dict[str, Order]] = field(default_factory=list)

    def put(self, order: Order) -> None:
        self.history.append(dict(self.orders))
        self.orders[_key(order)] = order

    def remove(self, key: str) -> bool:
        if key not in self.orders:
            return False
        self.history.append(dict(self.orders))
        del self.orders[key]
        return True

    def undo(self) -> bool:
        """Go back to the orders as they were before the last change."""
        if not self.history:
            return False
        self.orders = self.history.pop()
        return True

    def listed(self) -> list[Order]:
        return list(self.orders.values())


@dataclass(frozen=True)
class Opening:
    """How a session begins: the scenario file (with overrides) and who commands which faction."""

    scenario: Path
    humans: tuple[str, ...]
    skill: int = 2
    seed: int | None = None
    overrides: tuple[str, ...] = ()


class Session:
    """A game being played in the window, with its commanders, plans and history."""

    def __init__(
        self,
        scenario: Scenario,
        scenario_path: Path,
        game: Game,
        *,
        humans: Sequence[str],
        skill: int,
        saves: Path,
        overrides: Sequence[str] = (),
        game_id: str = "",
    ) -> None:
        self.scenario = scenario
        self.scenario_path = scenario_path
        self.scenario_hash = content_hash(scenario)
        self.overrides = list(overrides)
        # Each game's autosaves are its own: a new game (or one from a save that recorded none) gets a new id.
        self.game_id = game_id if GAME_ID.fullmatch(game_id) else secrets.token_hex(4)
        self.game = game
        self.world: World = game.world
        unknown = [f for f in humans if f not in self.world.faction_index]
        if unknown or not humans:
            raise ValueError(f"no faction {', '.join(unknown) or '(none)'} to command in this scenario")
        self.humans = list(humans)
        self.skill = skill
        self.saves = saves
        self.agent_kind = ai_kind()
        self.agents: dict[str, Agent] = {
            f: make_agent(self.agent_kind, f, skill) for f in self.world.faction_ids if f not in self.humans
        }
        self.seat = 0
        self.plans: dict[str, Plan] = {f: Plan() for f in self.humans}
        self.control: list[IntArray] = [game.state.control.copy()]
        self.points: list[FloatArray] = [game.state.side_points()]  # by side, at the start of each turn
        self.reports: list[Report] = [game.opening]

    # --- starting and loading ---------------------------------------------------------------------------

    @classmethod
    def start(cls, opening: Opening, saves: Path) -> Session:
        """A new game; ScenarioError if the scenario cannot be loaded."""
        scenario = load_scenario(opening.scenario, opening.overrides)
        seed = opening.seed if opening.seed is not None else int(np.random.SeedSequence().generate_state(1)[0])
        game = Game(compile_world(scenario), seed)
        return cls(
            scenario,
            opening.scenario,
            game,
            humans=opening.humans,
            skill=opening.skill,
            saves=saves,
            overrides=opening.overrides,
        )

    @classmethod
    def load(cls, path: Path, saves: Path, scenario_path: Path | None = None) -> Session:
        """A saved game; SaveError (or ScenarioError for its scenario) says what is wrong."""
        save = read_save(path)
        where = scenario_path or _scenario_of(
            save.scenario_id, Path(save.scenario_path) if save.scenario_path else None
        )
        scenario = load_scenario(where, save.overrides)
        world = compile_world(scenario)
        control: list[IntArray] = []
        points: list[FloatArray] = []

        def watch(g: Game) -> None:
            control.append(g.state.control.copy())
            points.append(g.state.side_points())

        game = restore_game(save, world, content_hash(scenario), watch=watch)
        humans = [f for f, who in save.sides.items() if who == HUMAN] or ["legion"]
        skills = [who.partition(":")[2] for who in save.sides.values() if who != HUMAN]
        skill = int(skills[0]) if skills and skills[0].isdigit() else 2
        session = cls(
            scenario, where, game, humans=humans, skill=skill, saves=saves, overrides=save.overrides, game_id=save.game
        )
        session.control, session.points, session.reports = control, points, list(game.reports)
        session._resume_plans(save.pending)
        return session

    @classmethod
    def taking_over(cls, replay: Replay, week: int, faction: str, saves: Path) -> Session:
        """A player takes command of `faction` at the start of `week` of a replay: a new game whose history is the
        replay's orders up to that week, the AI commanding the other factions at the replay's skill."""
        about = replay.provenance
        game = replay.game_at(week)
        session = cls(
            about.scenario,
            about.path,
            game,
            humans=[faction],
            skill=about.skill,
            saves=saves,
            overrides=about.overrides,
        )
        session.control = [state.control.copy() for state in replay.states[: week + 1]]
        session.points = [state.side_points() for state in replay.states[: week + 1]]
        session.reports = list(game.reports)
        return session

    def _resume_plans(self, pending: dict[str, list[str]]) -> None:
        """Put back the orders given for the unfinished turn (those the rules still allow)."""
        for faction, texts in pending.items():
            if faction not in self.plans:
                continue
            for text in texts:
                try:
                    order = Order.parse(text)
                except ValueError:
                    continue
                if why_illegal(self.state, faction, order) is None:
                    self.plans[faction].put(order)
            self.plans[faction].history.clear()

    # --- what the screens ask ----------------------------------------------------------------------------

    @property
    def state(self) -> GameState:
        return self.game.state

    @property
    def turn_number(self) -> int:
        """The turn the players are on, counted from 1 as the top bar counts it."""
        return self.state.turn + 1

    @property
    def player(self) -> str:
        """The faction whose commander is giving orders now."""
        return self.humans[self.seat]

    @property
    def hotseat(self) -> bool:
        return len(self.humans) > 1

    @property
    def plan(self) -> Plan:
        return self.plans[self.player]

    @property
    def over(self) -> bool:
        return self.state.ended

    def result(self) -> Result:
        return result(self.state)

    def units(self, faction: str | None = None) -> list[int]:
        """Units of `faction` (default: the player's) on the map."""
        f = self.world.faction_index[faction or self.player]
        return np.flatnonzero((self.state.status == ACTIVE) & (self.world.unit_faction == f)).tolist()

    def order_of(self, unit: str) -> Order | None:
        return self.plan.orders.get(unit)

    def idle_units(self) -> list[int]:
        """The player's units with no order this turn that could do more than hold where they are."""
        ids = self.world.unit_ids
        return [
            u
            for u in self.units()
            if self.order_of(ids[u]) is None
            and any(not isinstance(o, Hold) for o in legal_orders(self.state, self.player, unit=ids[u]))
        ]

    def answer_of(self, event: str) -> Answer | None:
        order = self.plan.orders.get(f"answer:{event}")
        return order if isinstance(order, Answer) else None

    def decisions(self, faction: str | None = None) -> list[int]:
        """Events whose decision waits for `faction`'s (default: the player's) answer."""
        f = self.world.faction_index[faction or self.player]
        return [
            k for k in np.flatnonzero(self.state.deadline >= 0).tolist() if self.world.events[k].decision_faction == f
        ]

    def key_stations(self) -> list[int]:
        """The stations some `hold` objective is about: the cities the war was fought for."""
        held = np.zeros(self.world.n_stations, dtype=np.bool_)
        for o in self.world.objectives:
            if o.kind == "hold":
                held[o.stations] = True
        return np.flatnonzero(held).tolist()

    def sides(self) -> dict[str, str]:
        """Who commands each faction, as a save records it."""
        return {f: HUMAN if f in self.humans else f"{self.agent_kind}:{self.skill}" for f in self.world.faction_ids}

    # --- giving orders -----------------------------------------------------------------------------------

    def give(self, order: Order) -> str | None:
        """Add `order` to the player's plan, replacing the unit's (or decision's) earlier one; or say why not."""
        reason = why_illegal(self.state, self.player, order)
        if reason is None:
            self.plan.put(order)
        return reason

    def cancel(self, key: str) -> bool:
        """Withdraw the order for a unit id (or `answer:EVENT`)."""
        return self.plan.remove(key)

    def undo(self) -> bool:
        return self.plan.undo()

    def next_seat(self) -> bool:
        """Hand the turn to the next person in hot-seat; False when everyone has given their orders."""
        if self.seat + 1 < len(self.humans):
            self.seat += 1
            return True
        return False

    def end_turn(self) -> Report:
        """Play the week: the people's plans and the AI's orders together; then a fresh plan for everyone."""
        state = self.state
        orders: dict[str, list[Order]] = {f: self.plans[f].listed() for f in self.humans}
        for faction, agent in self.agents.items():
            orders[faction] = agent.orders(state, faction, self.game.agent_rng(faction))
        report = self.game.play(orders)
        self.control.append(self.state.control.copy())
        self.points.append(self.state.side_points())
        self.reports.append(report)
        self.plans = {f: Plan() for f in self.humans}
        self.seat = 0
        return report

    # --- saving ------------------------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the game to `path` atomically (OSError if the disk refuses)."""
        pending = {f: [str(o) for o in plan.listed()] for f, plan in self.plans.items() if plan.listed()}
        data = save_data(
            self.game,
            self.scenario_hash,
            scenario_path=str(self.scenario_path.resolve()),
            sides=self.sides(),
            overrides=self.overrides,
            pending=pending,
            game_id=self.game_id,
        )
        write_save(path, data)

    def autosave(self) -> Path:
        """Save to this game's autosave of this turn and keep only the game's last few; the autosaves of other
        games (and those written before autosaves named their game) are left alone."""
        game = f"{AUTOSAVE_PREFIX}{self.world.scenario.meta.id}-{self.game_id}-turn"
        path = self.saves / f"{game}{self.turn_number:03d}.json"
        self.save(path)
        autosaves = sorted(self.saves.glob(f"{game}*.json"), key=lambda p: (p.stat().st_mtime, p.name))
        for old in autosaves[:-AUTOSAVES_KEPT]:
            old.unlink(missing_ok=True)
        return path


def _scenario_of(scenario_id: str, recorded: Path | None) -> Path:
    """The scenario file a save was played with: the one it names, else a bundled one with the same id."""
    if recorded is not None and recorded.is_file():
        return recorded
    for path in bundled_scenarios():
        try:
            if load_scenario(path).meta.id == scenario_id:
                return path
        except ScenarioError:
            continue
    raise SaveError(
        f"this save is of scenario {scenario_id!r}, which is not here; "
        "name its file: anabasis play SCENARIO --load SAVE"
    )
