"""The window's stories, the player's profile and the runs being saved (no drawing here).

Stories are listed after a quick load without the reachability analysis; before
one is played, :meth:`Session.prepare` also checks it from this player's start
(as ``callback play`` does, see :mod:`game.gui.prepare`). A loader crash becomes
a one-line problem with a crash report, so one bad file never takes the window down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from game.analysis.cache import checked_for_play as check_for_play  # (cached when unchanged)
from game.analysis.load import LoadedStory, load_story
from game.classroom.players import player_home
from game.engine.record import PLAY_MODES, PlayMode, now_iso
from game.gui.prepare import PlayCheck, internal_problem
from game.paths import bundled_stories
from game.store.atomic import Loaded
from game.store.profile import Profile, load_profile, save_profile
from game.store.saves import (
    SLOTS,
    Saved,
    SlotSave,
    clear_save,
    load_save,
    load_slot,
    write_save,
    write_slot,
)
from game.store.settings import Settings, load_settings, player_text, save_settings

if TYPE_CHECKING:  # scoring and the results store are imported when a run ends
    from game.classroom.workshop import Workshop
    from game.engine.compiled import CompiledStory
    from game.engine.state import PlayState
    from game.gui.runs import FinishedRun, Warmup
    from game.story.model import Story

T = TypeVar("T")


def story_files(paths: Iterable[Path] | None = None) -> list[Path]:
    """Return the playable stories among ``paths`` (default: the bundled ones).

    Rubric files (``*.rubric.yaml``) sit beside the stories but are not stories.
    """
    found = bundled_stories() if paths is None else [Path(p) for p in paths]
    return [p for p in found if not p.name.endswith(".rubric.yaml")]


class Session:
    """What one window session plays and keeps.

    Args:
        stories: Story files to offer (default: the bundled ones), listed in
            campaign order, then by title, with unplayable files last.
        data_dir: Where the profile and run records live (default: the player's).
        save_runs: Save finished runs and campaign values (off for screenshots).
        campaign: Play the campaign: start at the next unfinished scenario and
            offer the next one after each debrief.
        results: Where finished runs are stored (a file or database URL; default
            ``CALLBACK_RESULTS``, else ``results.db`` in ``data_dir``).
        class_code, name: Who is playing (default: whoever the window's player
            last gave, kept in the settings; else anonymous). A named player has a
            campaign profile of their own.
        carry: Start a story played on its own from the player's campaign values
            (otherwise only the campaign carries them over).
        mode: ``practice`` (Backspace takes an answer back) or ``assessment`` (each
            answer is final; the run record says ``locked``); the title's Mode
            button changes it.
    """

    def __init__(
        self,
        stories: Iterable[Path] | None = None,
        data_dir: Path | None = None,
        *,
        save_runs: bool = True,
        campaign: bool = False,
        results: str | None = None,
        class_code: str | None = None,
        name: str | None = None,
        carry: bool = False,
        mode: PlayMode = "practice",
    ) -> None:
        self.data_dir = data_dir
        self.mode: PlayMode = mode
        self.save_runs = save_runs
        self.campaign = campaign
        self.results = results
        self.carry = carry
        self.pending: list[FinishedRun] = []
        self._warming: dict[tuple[int, tuple[tuple[str, int | bool], ...]], Warmup] = {}
        self._loaded: dict[Path, LoadedStory] = {}
        self._checks: dict[tuple[Path, tuple[tuple[str, int | bool], ...]], PlayCheck] = {}
        self.notes: list[str] = []
        """Things the player should know: a damaged save that was recovered, a failed write."""
        self.settings: Settings = self._read("settings", load_settings, Settings())
        if class_code is None and name is None:  # given on the command line, they win
            class_code, name = self.settings.class_code, self.settings.name
        self.class_code, self.name = player_text(class_code), player_text(name)
        self.profile: Profile = self._read("profile", load_profile, Profile(), self.player_dir)
        self.saved: Saved | None = self._read("saved game", load_save, None, self.player_dir)
        self.stories = sorted(story_files(stories), key=self._order)

    @property
    def player_dir(self) -> Path | None:
        """The folder of this player's own campaign profile (None: the machine's)."""
        return player_home(self.class_code, self.name, self.data_dir)

    def set_player(self, class_code: str | None, name: str | None) -> None:
        """Play as someone else from now on: their runs, their own campaign profile."""
        self.class_code, self.name = player_text(class_code), player_text(name)
        self.profile = self._read("profile", load_profile, Profile(), self.player_dir)
        self.saved = self._read("saved game", load_save, None, self.player_dir)
        self._checks.clear()

    def keep_player(self, class_code: str | None, name: str | None) -> None:
        """Play as this player from now on, and start as them next time (None: anonymous).

        The pair is kept in the settings, so the next window on this machine opens
        as them until someone clears it.
        """
        self.set_player(player_text(class_code), player_text(name))
        self.change_settings(replace(self.settings, class_code=self.class_code, name=self.name))

    def _read(self, what: str, loader: Callable[[Path | None], Loaded], default: T,
              folder: Path | None = None) -> T:
        """Load one document (or keep ``default`` when saving is off); note any recovery."""
        if not self.save_runs:
            return default
        loaded = loader(folder or self.data_dir)
        if loaded.note:
            self.notes.append(f"Your {what} was damaged and has been recovered: {loaded.note}")
        return cast(T, loaded.value)

    def _order(self, path: Path) -> tuple[int, int, str]:
        story = self.load(path).story
        if story is None:
            return (2, 0, path.name)
        if story.campaign is not None:
            return (0, story.campaign.order, story.title)
        return (1, 0, story.title)

    def load(self, path: Path) -> LoadedStory:
        """Load a story file once; later calls return the same result."""
        path = Path(path)
        if path not in self._loaded:
            try:
                self._loaded[path] = load_story(path, analyse=False)
            except Exception as error:  # a loader bug must not take the window down
                self._loaded[path] = internal_problem(path, error, "loading")
        return self._loaded[path]

    def prepare(self, path: Path) -> PlayCheck:
        """Start checking ``path`` for play from this player's start (or reuse that check).

        The check's result has no story if the file does not load or would
        strand the player (a dead end, a trap); its diagnostics say where.
        """
        path = Path(path)
        result = self.load(path)
        imports = self.imports(result.story) if result.story is not None else {}
        key = (path, tuple(sorted(imports.items())))
        if key not in self._checks:
            self._checks[key] = PlayCheck(lambda: check_for_play(result, self.imports), path)
        return self._checks[key]

    def replace(self, path: Path, result: LoadedStory) -> None:
        """Use ``result`` for ``path`` from now on (the live preview loaded a new version)."""
        path = Path(path)
        for known in [*self.stories, *self._loaded]:
            if known.resolve() == path.resolve():
                self._loaded[known] = result
        self._loaded[path] = result
        self._checks = {k: v for k, v in self._checks.items() if k[0].resolve() != path.resolve()}

    def add(self, path: Path) -> int:
        """Offer ``path`` too if it is not offered yet; return its index."""
        known = [p.resolve() for p in self.stories]
        if Path(path).resolve() in known:
            return known.index(Path(path).resolve())
        self.stories.append(Path(path))
        return len(self.stories) - 1

    def sha256(self, story: CompiledStory) -> str:
        """Return the hash of the file ``story`` was loaded from ('' if unknown)."""
        for result in self._loaded.values():
            if result.compiled is story:
                return result.sha256
        return ""

    def imports(self, story: Story) -> dict[str, int | bool]:
        """Return the campaign values ``story`` starts from: the player's own in the
        campaign (or when asked to carry them), else none."""
        if self.campaign or self.carry:
            return self.profile.imports_for(story)
        return {}

    # ------------------------------------------------------------------ campaign
    def campaign_paths(self) -> list[Path]:
        """Return the playable campaign scenarios in order."""
        return [p for p in self.stories if (s := self.load(p).story) and s.campaign]

    def campaign_start(self) -> Path | None:
        """Return the first campaign scenario not finished yet (else the first)."""
        paths = self.campaign_paths()
        done = set(self.profile.finished)
        unfinished = [p for p in paths if (s := self.load(p).story) and s.id not in done]
        return (unfinished or paths)[0] if paths else None

    def next_in_campaign(self, story: CompiledStory) -> Path | None:
        """Return the scenario after ``story`` in campaign mode, if any."""
        if not self.campaign:
            return None
        paths = self.campaign_paths()
        ids = [self.load(p).story.id for p in paths]  # type: ignore[union-attr]
        if story.id not in ids or ids.index(story.id) + 1 >= len(paths):
            return None
        return paths[ids.index(story.id) + 1]

    def next_mode(self) -> None:
        """Switch between practice and assessment for the calls started from now on."""
        self.mode = PLAY_MODES[(PLAY_MODES.index(self.mode) + 1) % len(PLAY_MODES)]

    # ------------------------------------------------------------------ settings
    def change_settings(self, settings: Settings) -> None:
        """Use ``settings`` from now on and keep them for next time."""
        self.settings = settings
        if self.save_runs:
            try:
                save_settings(settings, self.data_dir)
            except OSError as error:
                self.notes.append(f"Your settings could not be saved: {error}")

    # ------------------------------------------------------------------ the call in progress
    def path_of(self, story: CompiledStory) -> Path | None:
        """Return the file ``story`` was loaded from, if this session loaded it."""
        for path, result in self._loaded.items():
            if result.compiled is story:
                return path
        return None

    def keep_progress(self, story: CompiledStory, state: PlayState, started: str) -> None:
        """Save a call in progress after a move, so it can be continued after a quit or crash.

        Only stories this session loaded from a file are saved, and a call with no move
        yet replaces no earlier save.
        """
        path = self.path_of(story)
        if not self.save_runs or path is None or not state.history:
            return
        saved = Saved.of(story.model, path, self.sha256(story), state, campaign=self.campaign,
                         started=started, saved=now_iso(), mode=self.mode)
        try:
            write_save(saved, self.player_dir)
        except OSError as error:
            self.notes.append(f"Your progress could not be saved: {error}")
            return
        self.saved = saved

    def drop_progress(self) -> None:
        """Forget the call in progress (it has ended)."""
        self.saved = None
        if self.save_runs:
            try:
                clear_save(self.player_dir)
            except OSError as error:
                self.notes.append(f"An old saved call could not be removed: {error}")

    # ------------------------------------------------------------------ the player's slots
    def slots(self) -> list[SlotSave | None]:
        """The calls saved to slots 1 to :data:`~game.store.saves.SLOTS` (None: empty).

        Read from the player's folder each time (a damaged slot is noted once: it is
        set aside as it is recovered). With saving off there are none.
        """
        return [self.load_slot(number) for number in range(1, SLOTS + 1)]

    def load_slot(self, number: int) -> SlotSave | None:
        """The call saved to slot ``number``, or None if it is empty (or saving is off)."""
        return self._read(f"save in slot {number}", lambda folder: load_slot(number, folder),
                          None, self.player_dir)

    def save_slot(self, number: int, story: CompiledStory, state: PlayState, started: str,
                  thumbnail: bytes | None) -> SlotSave | None:
        """Save a call in progress to slot ``number``, replacing what it held.

        Only stories this session loaded from a file can be saved (a slot replays its
        moves on the file as it is then). Returns what was saved, or None with a note
        in :attr:`notes` when it could not be (or with saving off, silently).
        """
        if not self.save_runs:
            return None
        path = self.path_of(story)
        if path is None:
            self.notes.append("This call cannot be saved: its story was not loaded from a file.")
            return None
        slot = SlotSave(Saved.of(story.model, path, self.sha256(story), state,
                                 campaign=self.campaign, started=started, saved=now_iso(),
                                 mode=self.mode),
                        state.scene, thumbnail)
        try:
            write_slot(number, slot.saved, slot.thumbnail, self.player_dir, scene=slot.scene)
        except OSError as error:
            self.notes.append(f"Slot {number} could not be saved: {error}")
            return None
        return slot

    def warm(self, story: CompiledStory, imports: dict[str, int | bool]) -> None:
        """Start building the score tables the debrief of ``story`` will need."""
        from game.gui.runs import Warmup

        key = (id(story), tuple(sorted(imports.items())))
        if key not in self._warming:
            # forget finished ones: a live preview makes a new story on every save
            self._warming = {k: w for k, w in self._warming.items() if not w.done}
            self._warming[key] = Warmup(story, imports)

    # ------------------------------------------------------------------ runs
    def finish(self, story: CompiledStory, state: PlayState, started: str,
               workshop: Workshop | None = None, undos: int = 0) -> FinishedRun:
        """Start scoring a finished run; it is saved when :meth:`collect` sees it done.

        A class's ``workshop`` run is stored under its class code, with no name and
        its votes, and leaves the player's own campaign progress alone. Any other run
        is stored in this session's :attr:`mode`, with the answers taken back (``undos``).
        """
        from game.gui.runs import FinishedRun

        if workshop is not None:
            return self._keep(FinishedRun(
                story, state, sha256=self.sha256(story), started=started,
                class_code=workshop.class_code, mode="workshop", votes=workshop.record_votes()))
        self.drop_progress()
        carried = self.profile.carried_into(story.model, state) if state.imports else []
        return self._keep(FinishedRun(
            story, state, sha256=self.sha256(story), started=started, carried=carried,
            name=self.name, class_code=self.class_code, mode=self.mode, undos=undos))

    def _keep(self, run: FinishedRun) -> FinishedRun:
        """Save ``run`` once it has been scored (see :meth:`collect`)."""
        self.pending.append(run)
        return run

    def collect(self) -> list[FinishedRun]:
        """Save every run whose scoring has finished; return those that failed to score."""
        failed = []
        for run in [r for r in self.pending if r.done]:
            self.pending.remove(run)
            if run.error is not None:
                failed.append(run)
            elif self.save_runs and run.record is not None:
                self._save(run)
        return failed

    def _save(self, run: FinishedRun) -> None:
        from game.classroom.keep import keep_run
        from game.classroom.store import results_target

        try:
            if run.story.model.campaign and run.mode != "workshop":
                self.profile.record(run.story.model, run.state)
                save_profile(self.profile, self.player_dir)
        except OSError as error:
            run.note = f"Your campaign progress could not be saved: {error}"
        assert run.record is not None
        note = keep_run(run.record, results_target(self.results, self.data_dir), self.data_dir)
        run.note = " ".join(n for n in (run.note, note) if n)
