import sys
from pathlib import Path

# Let test modules import the shared test utilities (course.py) and the wrong-answer banks.
sys.path.insert(0, str(Path(__file__).parent))
