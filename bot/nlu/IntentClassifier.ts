/** What understanding needs of a trained model: a reading of a message's features, every label ranked. */
export interface Prediction {
    label: string;
    probability: number;
    ranked: { label: string; probability: number }[];
}

export interface IntentClassifier {
    predict(featureNames: string[]): Prediction;
}

export interface TrainingExample {
    features: string[];
    label: string;
}
