"""The peak path: scenario model (activity × intensity × fuel mix × factor), scenario files, Monte Carlo
peak, LMDI decomposition and wedges — pure functions over plain data (梯次有序碳达峰)."""
