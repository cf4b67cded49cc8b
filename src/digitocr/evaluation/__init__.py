"""Measuring a digit classifier: metrics, the confusion matrix, the report, pictures of its predictions.

Everything here runs on ONNX Runtime's output (numpy); nothing imports torch.
"""
