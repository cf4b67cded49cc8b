"""Training and evaluation data: MNIST IDX files, Kaggle CSV, folders of labelled images."""
